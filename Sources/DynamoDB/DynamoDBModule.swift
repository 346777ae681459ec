// The DynamoDB client module. Its types arrive with the client issue.
