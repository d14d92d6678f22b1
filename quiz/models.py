"""Questions, quizzes and learners' answers (built by the quiz issue)."""
