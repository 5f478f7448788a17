// ECS's error codes, as the ECS API returns them (all 400; the SDK raises a class per code).
import { AwsError } from '../../framework/aws-error.js';

/** `ClientException`: the request is wrong in a way ECS explains (task definition content). */
export const clientError = (message: string): AwsError => new AwsError('ClientException', message);

/** `InvalidParameterException`: a parameter is missing, malformed or out of range. */
export const invalidParameter = (message: string): AwsError =>
  new AwsError('InvalidParameterException', message);

/** `ClusterNotFoundException`. */
export const clusterNotFound = (message = 'Cluster not found.'): AwsError =>
  new AwsError('ClusterNotFoundException', message);

/** `ServiceNotFoundException`. */
export const serviceNotFound = (): AwsError =>
  new AwsError('ServiceNotFoundException', 'Service not found.');

/** `ServiceNotActiveException`: the service is draining or inactive. */
export const serviceNotActive = (): AwsError =>
  new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');

/** `ResourceNotFoundException`: a tagged resource that does not exist. */
export const resourceNotFound = (
  message = 'The specified resource could not be found.',
): AwsError => new AwsError('ResourceNotFoundException', message);

/** `ClusterContainsServicesException`. */
export const clusterContainsServices = (): AwsError =>
  new AwsError(
    'ClusterContainsServicesException',
    'The Cluster cannot be deleted while Services are active.',
  );

/** `ClusterContainsTasksException`. */
export const clusterContainsTasks = (): AwsError =>
  new AwsError(
    'ClusterContainsTasksException',
    'The Cluster cannot be deleted while Tasks are active.',
  );

/** The `InvalidParameterException` for a pagination token the sandbox did not issue. */
export const invalidToken = (): AwsError => invalidParameter('Invalid nextToken provided.');
