"""The files of a trained model directory, shared by the trainer, the scorer and the runtime."""

META_FILE = "meta.json"  # written last: its presence marks a complete model
LEXICAL_FILE = "lexical.npz"
TOKENIZER_FILE = "tokenizer/tokenizer.json"
