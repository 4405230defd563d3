/** The languages a page can be worded in: `ko` is the reference page's Korean, `en` the default. */
export type Lang = 'en' | 'ko';

export const LANGS: readonly Lang[] = ['en', 'ko'];
