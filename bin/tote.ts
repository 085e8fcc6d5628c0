/** CDK app entry (cdk.json runs it): builds the Tote stack with cdk-nag checks and synthesizes. */
import { buildApp } from '../lib/app';

buildApp().app.synth();
