"""civic311's SQLite database backend: Django's, with every transaction taking the write lock at BEGIN."""
