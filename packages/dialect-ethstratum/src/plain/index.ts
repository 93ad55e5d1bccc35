/* filled by the plain implementation */
export {};
