// node-oidc-provider ships no type declarations; the benchmark baseline uses a small, untyped surface of it.
declare module 'oidc-provider';
