// Every translation, bundled: the app is offline, so locales are imported, never fetched.
// Generated list; a namespace added to locales/en must be added here (a test checks).
import en_common from '../../../locales/en/common.json'
import en_errors from '../../../locales/en/errors.json'
import en_menu from '../../../locales/en/menu.json'
import en_parse from '../../../locales/en/parse.json'
import en_kb from '../../../locales/en/kb.json'
import en_audit from '../../../locales/en/audit.json'
import ja_common from '../../../locales/ja/common.json'
import ja_errors from '../../../locales/ja/errors.json'
import ja_menu from '../../../locales/ja/menu.json'
import ja_parse from '../../../locales/ja/parse.json'
import ja_kb from '../../../locales/ja/kb.json'
import ja_audit from '../../../locales/ja/audit.json'
import zhTW_common from '../../../locales/zh-TW/common.json'
import zhTW_errors from '../../../locales/zh-TW/errors.json'
import zhTW_menu from '../../../locales/zh-TW/menu.json'
import zhTW_parse from '../../../locales/zh-TW/parse.json'
import zhTW_kb from '../../../locales/zh-TW/kb.json'
import zhTW_audit from '../../../locales/zh-TW/audit.json'
import it_common from '../../../locales/it/common.json'
import it_errors from '../../../locales/it/errors.json'
import it_menu from '../../../locales/it/menu.json'
import it_parse from '../../../locales/it/parse.json'
import it_kb from '../../../locales/it/kb.json'
import it_audit from '../../../locales/it/audit.json'
import fr_common from '../../../locales/fr/common.json'
import fr_errors from '../../../locales/fr/errors.json'
import fr_menu from '../../../locales/fr/menu.json'
import fr_parse from '../../../locales/fr/parse.json'
import fr_kb from '../../../locales/fr/kb.json'
import fr_audit from '../../../locales/fr/audit.json'
import type { Language } from './languages'

export const NAMESPACES = ['common', 'errors', 'menu', 'parse', 'kb', 'audit'] as const
export type Namespace = (typeof NAMESPACES)[number]

export const RESOURCES: Readonly<Record<Language, Readonly<Record<Namespace, unknown>>>> = {
  en: {
    common: en_common,
    errors: en_errors,
    menu: en_menu,
    parse: en_parse,
    kb: en_kb,
    audit: en_audit,
  },
  ja: {
    common: ja_common,
    errors: ja_errors,
    menu: ja_menu,
    parse: ja_parse,
    kb: ja_kb,
    audit: ja_audit,
  },
  'zh-TW': {
    common: zhTW_common,
    errors: zhTW_errors,
    menu: zhTW_menu,
    parse: zhTW_parse,
    kb: zhTW_kb,
    audit: zhTW_audit,
  },
  it: {
    common: it_common,
    errors: it_errors,
    menu: it_menu,
    parse: it_parse,
    kb: it_kb,
    audit: it_audit,
  },
  fr: {
    common: fr_common,
    errors: fr_errors,
    menu: fr_menu,
    parse: fr_parse,
    kb: fr_kb,
    audit: fr_audit,
  },
}
