// Module TSDB: the storage engine. See docs/FORMAT.md for every byte it writes.
