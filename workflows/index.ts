// The workflow bundle's entry: deterministic code only (lint keeps Node built-ins and the database out).
export { closeWorkflow } from './close/close-workflow';
export { monthEndWorkflow } from './month-end/month-end-workflow';
export { invoiceSyncWorkflow } from './invoices/invoice-sync-workflow';
export { notificationDispatcherWorkflow } from './notifications/dispatcher-workflow';
export { notificationDeliveryWorkflow } from './notifications/delivery-workflow';
