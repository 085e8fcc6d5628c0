/** One Powertools logger for every function; the service name tells Tote's logs apart in shared log tools. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tote' });
