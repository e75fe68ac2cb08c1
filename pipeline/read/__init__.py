"""Reading: a handout's source (YAML front matter and Markdown) into the document model, once.

text.py reads a file as text (encoding, size, line ends, comments); handout.py makes the `Handout`
from it (schema.py checks the front matter, markdown.py renders the body, prose.py traces its
sentences, review.py judges its review); characters.py, resources.py, pictures.py and svg.py refuse
what a handout may not hold or load; limits.py says how much it may hold.
"""
