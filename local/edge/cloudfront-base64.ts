/** Reads CloudFront's URL-safe base64 ('+' -> '-', '=' -> '_', '/' -> '~'). */
export const fromCloudFrontBase64 = (text: string): Buffer =>
  Buffer.from(text.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');
