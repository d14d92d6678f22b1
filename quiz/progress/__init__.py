"""Progress: learners and accounts, mastery, streaks, review, and the learner's own data."""
