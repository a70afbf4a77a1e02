"""Convert Image Builder templates into catalog profiles (``aibgen import``)."""
