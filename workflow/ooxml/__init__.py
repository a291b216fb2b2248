"""Low layer over WordprocessingML: blocks in reading order and form controls, via lxml."""
