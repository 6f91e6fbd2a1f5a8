// Benchmark entry point; filled in by its issue.
print("not yet measured")
