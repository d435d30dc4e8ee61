// Every secret the bot reads, in a vault authorized by Azure RBAC; the bot's identity may read them
// (Key Vault Secrets User) and nothing else. The Web App gets them as Key Vault references.

param name string
param location string

@description('Object (principal) id of the identity that reads the secrets.')
param readerPrincipalId string

param purgeProtection bool

@secure()
param notifyToken string
@secure()
param adminToken string
@secure()
param supportWebhookSecret string
@secure()
param partnerCenterClientSecret string

// Built-in role "Key Vault Secrets User": read secret contents.
var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // The property takes true or nothing: false is refused.
    enablePurgeProtection: purgeProtection ? true : null
  }
}

// Key Vault names take letters, digits and dashes; the app settings keep the bot's own names.
resource notifyTokenSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'notify-token'
  properties: {
    value: notifyToken
  }
}

resource adminTokenSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: 'admin-token'
  properties: {
    value: adminToken
  }
}

resource supportWebhookSecretSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(supportWebhookSecret)) {
  parent: vault
  name: 'support-webhook-secret'
  properties: {
    value: supportWebhookSecret
  }
}

resource partnerCenterClientSecretSecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = if (!empty(partnerCenterClientSecret)) {
  parent: vault
  name: 'partner-center-client-secret'
  properties: {
    value: partnerCenterClientSecret
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, secretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name

@description('Versionless URIs by the bot\'s setting name, so that a new version is taken without a deployment; empty for a secret not given.')
output secretUris object = {
  NOTIFY_TOKEN: notifyTokenSecret.properties.secretUri
  ADMIN_TOKEN: adminTokenSecret.properties.secretUri
  SUPPORT_WEBHOOK_SECRET: empty(supportWebhookSecret) ? '' : supportWebhookSecretSecret!.properties.secretUri
  PARTNER_CENTER_CLIENT_SECRET: empty(partnerCenterClientSecret) ? '' : partnerCenterClientSecretSecret!.properties.secretUri
}
