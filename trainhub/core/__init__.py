"""What every domain needs and nothing about any one domain."""
