"""The benchmark against Pandoc (`make bench`); not part of the pipeline package."""
