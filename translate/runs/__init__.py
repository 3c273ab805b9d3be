"""The run directory: the one artifact of training, its files and their safe writing."""
