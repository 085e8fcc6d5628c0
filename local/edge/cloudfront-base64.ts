/** CloudFront's URL-safe base64: '+' -> '-', '=' -> '_', '/' -> '~'. */
export const toCloudFrontBase64 = (data: Buffer): string =>
  data.toString('base64').replace(/\+/g, '-').replace(/=/g, '_').replace(/\//g, '~');

export const fromCloudFrontBase64 = (text: string): Buffer =>
  Buffer.from(text.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');
