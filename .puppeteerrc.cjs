// Puppeteer must never download its own browser (no internet here): mermaid-cli uses Debian's chromium.
module.exports = { skipDownload: true, executablePath: '/usr/bin/chromium' };
