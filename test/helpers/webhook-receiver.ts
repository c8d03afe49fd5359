// The loopback receiver lives with the stand-ins, so the chaos soak (bench/, built without test/) counts notices with it too.
export { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../../simulators/webhook-receiver';
