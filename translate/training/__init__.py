"""Training: ``model.fit`` with its step, loss, optimizer, callbacks and resumable state."""
