"""Inserted-fiction detection: character LMs, segmentation and boundary refinement."""
