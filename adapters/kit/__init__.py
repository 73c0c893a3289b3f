"""What every channel adapter shares: text splitting, signature checks, secret names."""
