// Placeholder until the Schema module lands.
