"""What every domain shares, standing on nothing above it: the database handle, problem+json
errors, cursor pagination, auth decorators, settings, the after-commit helper, the task
queue, downloads, text, time."""
