using './main.bicep'

// Names start with this; the globally unique ones (Web App, Azure Bot, Key Vault, PostgreSQL) get a
// suffix of the resource group's.
param baseName = 'ocpgtm'

param appServicePlanSku = 'B1'

// More than one instance deploys PostgreSQL (deployDatabase); set deployDatabase = true for it with one.
param instanceCount = 1

param botDisplayName = 'OCP GTM migration'

// Secrets from the deploying shell's environment, never from this file: they go into the Key Vault.
param notifyToken = readEnvironmentVariable('NOTIFY_TOKEN')
param adminToken = readEnvironmentVariable('ADMIN_TOKEN')
param supportWebhookSecret = readEnvironmentVariable('SUPPORT_WEBHOOK_SECRET', '')
param partnerCenterClientSecret = readEnvironmentVariable('PARTNER_CENTER_CLIENT_SECRET', '')
