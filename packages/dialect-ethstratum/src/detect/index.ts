/* filled by the detect implementation */
export {};
