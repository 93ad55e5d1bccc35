/* filled by the ethproxy implementation */
export {};
