"""Input and output: the HTTP session, the cache of raw files and frames, atomic placement."""
