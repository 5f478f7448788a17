// The error of a property that fails its resource type's schema, worded as CloudFormation's.

/** A property that fails the type's schema: `Properties validation failed … #/Path: …`. */
export class PropertiesValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertiesValidationError';
  }
}
