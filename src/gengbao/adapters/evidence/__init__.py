"""Photo evidence: the content-addressed store, EXIF reading, check codes and perceptual hashes."""
