/*
 * The lowest a recorder's bulk path can cost on this machine: a TCP relay in C that reads each
 * direction with blocking read(2), hashes every byte with OpenSSL's SHA-256 (the sha_ni code Node
 * uses too), and writes it on. It parses no HTTP and records nothing else, so anything that records
 * the same bodies does at least this work. One thread per direction, so both cores can be used.
 * Usage: floor-relay UPSTREAM_PORT [--no-hash]; prints its listening port on stdout.
 * Built by bench/proxy.mjs (`--c-floor`) with `gcc -O2 floor-relay.c -lcrypto -lpthread`.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int upstream_port;
static int hashing = 1;

struct pipe_args { int from, to; };

static void *pump(void *p) {
  struct pipe_args *a = p;
  static __thread unsigned char buf[256 * 1024];
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
  for (;;) {
    ssize_t n = read(a->from, buf, sizeof buf);
    if (n <= 0) break;
    if (hashing) EVP_DigestUpdate(ctx, buf, (size_t)n);
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(a->to, buf + off, (size_t)(n - off));
      if (w <= 0) goto done;
      off += w;
    }
  }
done:;
  unsigned char md[32];
  unsigned int len;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  shutdown(a->to, SHUT_WR);
  return NULL;
}

static void *connection(void *p) {
  int client = (int)(long)p;
  int up = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(upstream_port) };
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(up, (struct sockaddr *)&addr, sizeof addr) != 0) { close(client); close(up); return NULL; }
  int one = 1;
  setsockopt(up, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct pipe_args there = { client, up }, back = { up, client };
  pthread_t t;
  pthread_create(&t, NULL, pump, &there);
  pump(&back);
  pthread_join(t, NULL);
  close(client);
  close(up);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: floor-relay UPSTREAM_PORT [--no-hash]\n"); return 2; }
  upstream_port = atoi(argv[1]);
  if (argc > 2 && strcmp(argv[2], "--no-hash") == 0) hashing = 0;
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (bind(s, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(s, 128) != 0) { perror("listen"); return 1; }
  socklen_t len = sizeof addr;
  getsockname(s, (struct sockaddr *)&addr, &len);
  printf("%d\n", ntohs(addr.sin_port));
  fflush(stdout);
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    pthread_t t;
    pthread_create(&t, NULL, connection, (void *)(long)c);
    pthread_detach(t);
  }
}
