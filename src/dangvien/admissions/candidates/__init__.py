"""The candidate pool: outstanding non-members entered, the awareness class, withdrawn or taken
up again, moved between branches, and the survey of the pool per unit."""
