// Every AWS call throws DynamoDBError, defined with the values its cases carry in DynamoDBModel:
// programs that `import AWS` get them with it.
@_exported import DynamoDBModel
