"""Helpers of the end-to-end suite: stacks, clients and the model's reference files."""
