/* filled by the es1 implementation */
export {};
