"""What statements mean.

The sentence encoder, stored vectors, topic profiles, stance scoring and
assignment, and clusters.
"""
