/**
 * The codes Squid documents for `logformat` (squid.conf documentation, "logformat"), and its built-in
 * formats. Codes Squid does not document are not here on purpose: a format naming one is refused.
 */

/** The formats Squid has built in (squid.conf documentation, `logformat`). */
export const SQUID_BUILT_IN_FORMATS = {
  squid: '%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt',
  common: '%>a - %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st %Ss:%Sh',
  combined: '%>a - %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st "%{Referer}>h" "%{User-Agent}>h" %Ss:%Sh',
  referrer: '%ts.%03tu %>a %{Referer}>h %ru',
  useragent: '%>a [%tl] "%{User-Agent}>h"',
} as const;

export type SquidBuiltInFormat = keyof typeof SQUID_BUILT_IN_FORMATS;

export type ValueKind = 'int' | 'num' | 'text' | 'time';

/** Documented codes (without namespace) and the shape of their values. */
export const CODES: Record<string, ValueKind> = {
  // general
  sn: 'int',
  err_code: 'text',
  err_detail: 'text',
  note: 'text',
  master_xaction: 'int',
  // connection
  '>a': 'text',
  '>A': 'text',
  '>p': 'int',
  '>eui': 'text',
  '>la': 'text',
  '>lp': 'int',
  '>qos': 'text',
  '>nfmark': 'text',
  la: 'text',
  lp: 'int',
  '<a': 'text',
  '<A': 'text',
  '<p': 'int',
  '<la': 'text',
  '<lp': 'int',
  '<qos': 'text',
  '<nfmark': 'text',
  '>handshake': 'text',
  // time
  ts: 'int',
  tu: 'int',
  tl: 'time',
  tg: 'time',
  tr: 'int',
  dt: 'int',
  tS: 'num',
  busy_time: 'int',
  // access control
  et: 'text',
  ea: 'text',
  un: 'text',
  ul: 'text',
  ue: 'text',
  ui: 'text', // ident user name; documented up to Squid 4 and used by its built-in `common`
  credentials: 'text',
  // HTTP request
  rm: 'text',
  '>rm': 'text',
  '<rm': 'text',
  ru: 'text',
  '>ru': 'text',
  '<ru': 'text',
  '>rs': 'text',
  '<rs': 'text',
  '>rd': 'text',
  '<rd': 'text',
  '>rP': 'int',
  '<rP': 'int',
  rp: 'text',
  '>rp': 'text',
  '<rp': 'text',
  rv: 'text',
  '>rv': 'text',
  '<rv': 'text',
  '>h': 'text',
  '>ha': 'text',
  // HTTP response
  '<Hs': 'int',
  '>Hs': 'int',
  '<h': 'text',
  mt: 'text',
  // sizes
  st: 'int',
  '>st': 'int',
  '<st': 'int',
  '>sh': 'int',
  '<sh': 'int',
  '<sH': 'int',
  '<sS': 'int',
  '<bs': 'int',
  // timing
  '<pt': 'int',
  '<tt': 'int',
  // Squid handling
  Ss: 'text',
  Sh: 'text',
  request_attempts: 'int',
};

/** Codes that only exist inside a namespace (`ssl::>sni`, `icap::tt`, …). */
export const NAMESPACED: Record<string, Record<string, ValueKind>> = {
  ssl: {
    bump_mode: 'text',
    '>sni': 'text',
    '>cert_subject': 'text',
    '>cert_issuer': 'text',
    '<cert_subject': 'text',
    '<cert_issuer': 'text',
    '<cert': 'text',
    '<cert_errors': 'text',
    '>negotiated_version': 'text',
    '<negotiated_version': 'text',
    '>received_hello_version': 'text',
    '<received_hello_version': 'text',
    '>received_supported_version': 'text',
    '<received_supported_version': 'text',
    '>negotiated_cipher': 'text',
    '<negotiated_cipher': 'text',
  },
  icap: { tt: 'int' },
  adapt: { '<last_h': 'text', sum_trs: 'text', all_trs: 'text' },
  transport: { '>connection_id': 'int' },
  proxy_protocol: { '>h': 'text' },
};
NAMESPACED.tls = NAMESPACED.ssl!;
