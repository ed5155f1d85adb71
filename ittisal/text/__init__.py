"""Text: bytes to clean Arabic text — decoding, HTML, segmentation, normalization, language,
near-duplicate fingerprints. Imports nothing of ittisal but `ittisal.datafiles`."""
