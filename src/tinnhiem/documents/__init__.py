"""Official documents: ballot papers, result reports, personal reports, statistics."""
