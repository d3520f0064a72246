// Azure resources for Rounds, deployed by `arm/deploy` in m365agents.yml (Microsoft 365 Agents Toolkit):
//   - a user-assigned managed identity: the bot's identity (BOT_TYPE=UserAssignedMsi, no client secret) and the
//     identity the app uses for Azure Table storage (and, once granted, for Microsoft Graph);
//   - a Linux App Service plan + web app running Node 20 (`npm start`), built on the server by Oryx;
//   - an Azure Bot (global) pointing at https://<web app>/api/messages, with the Microsoft Teams channel;
//   - a storage account whose Table service holds Rounds' records (STORE=azure-table, no keys: RBAC only).
// Outputs are written to env/.env.<env> by the toolkit (output names become variable names).
// Bot identity types: https://learn.microsoft.com/azure/bot-service/bot-builder-authentication#bot-identity-information

@minLength(4)
@maxLength(20)
@description('Used to name every resource; lowercase letters, digits and dashes.')
param resourceBaseName string

@description('App Service plan SKU. B1 or higher: the weekly schedule runs in-process and needs Always On.')
param webAppSKU string = 'B1'

@maxLength(42)
@description('Display name of the Azure Bot resource.')
param botDisplayName string

@description('Defender for Cloud Apps portal URL, e.g. https://contoso.eu2.portal.cloudappsecurity.com (CLOUD_APPS_BASE_URL).')
param cloudAppsBaseUrl string = ''

@secure()
@description('Defender for Cloud Apps API token (CLOUD_APPS_API_TOKEN). Kept out of git in env/.env.<env>.user.')
param cloudAppsApiToken string = ''

param location string = resourceGroup().location

var suffix = take(uniqueString(resourceGroup().id, resourceBaseName), 6)
// Web app and bot names are globally unique: add a suffix stable for this resource group.
var webAppName = '${resourceBaseName}-${suffix}'
// Storage account names: 3-24 lowercase letters and digits, globally unique.
var storageAccountName = take('st${toLower(replace(resourceBaseName, '-', ''))}${uniqueString(resourceGroup().id)}', 24)
// Built-in role: Storage Table Data Contributor (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage).
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSKU
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appSettings: [
        // Oryx installs dependencies (native better-sqlite3 for Linux) and runs `npm run build` on deploy.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'true' }
        { name: 'BOT_ID', value: identity.properties.clientId }
        { name: 'BOT_TYPE', value: 'UserAssignedMsi' }
        { name: 'BOT_TENANT_ID', value: identity.properties.tenantId }
        // @azure/identity picks the user-assigned identity by this client id (storage, and Graph once granted).
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'STORE', value: 'azure-table' }
        { name: 'AZURE_TABLES_URL', value: storage.properties.primaryEndpoints.table }
        { name: 'PUBLIC_BASE_URL', value: 'https://${webAppName}.azurewebsites.net' }
        { name: 'CLOUD_APPS_BASE_URL', value: cloudAppsBaseUrl }
        { name: 'CLOUD_APPS_API_TOKEN', value: cloudAppsApiToken }
      ]
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: webAppName // bot names are global too
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output AZURE_TABLES_URL string = storage.properties.primaryEndpoints.table
