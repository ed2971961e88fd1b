// Worker thread entry for `ndr-assistant parse`; filled in by the parallel CLI parser.
export {}
