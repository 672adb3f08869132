// Workload generator
