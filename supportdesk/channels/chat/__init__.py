"""The live chat channel: the widget on customers' sites and the agents' real-time desk."""
