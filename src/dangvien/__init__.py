"""dangvien: party-building work for organisations of the Communist Party of Vietnam."""

__version__ = "0.1.0"
