// The part of des.js (indutny/des.js, the DES of crypto-browserify) that src/xml/xmlenc.ts uses.
declare module 'des.js' {
  interface DesCipher {
    update(data: ArrayLike<number>): number[];
    final(): number[];
  }
  interface DesMode {
    create(options: { type: 'decrypt' | 'encrypt'; key: ArrayLike<number>; iv: ArrayLike<number>; padding?: boolean }): DesCipher;
  }
  const des: {
    EDE: unknown;
    CBC: { instantiate(base: unknown): DesMode };
  };
  export default des;
}
