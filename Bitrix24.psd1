# The build stamps ModuleVersion (from Directory.Build.props) and ReleaseNotes (from CHANGELOG.md)
# into out/Bitrix24/Bitrix24.psd1. Supported: Windows PowerShell 5.1 and PowerShell 7.2 or later
# (7.0 and 7.1 ship Newtonsoft.Json 12, and the module needs 13: it refuses to load there, saying so).
@{
    RootModule           = 'Bitrix24.PowerShell.dll'
    ModuleVersion        = '0.0.0'
    GUID                 = '5f0b3c1e-8d2a-4b7e-9c61-2a4f8e0d7b13'
    Author               = 'Bitrix24.PowerShell contributors'
    CompanyName          = 'Bitrix24.PowerShell'
    Copyright            = '(c) Bitrix24.PowerShell contributors. MIT License.'
    Description          = 'Manage a Bitrix24 CRM from PowerShell: leads, deals, contacts, companies and smart processes read, patched and bulk-edited safely at the portal''s pace, files, product rows, and a self-check of your portal. Webhook or OAuth. Windows PowerShell 5.1 and PowerShell 7.2+.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('Bitrix24.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-Bitrix24'
        'Disconnect-Bitrix24'
        'Get-Bitrix24Connection'
        'Get-B24Lead'
        'Set-B24Lead'
        'New-B24Lead'
        'Remove-B24Lead'
        'Get-B24LeadContact'
        'Set-B24LeadContact'
        'Get-B24LeadField'
        'Get-B24Deal'
        'Set-B24Deal'
        'New-B24Deal'
        'Remove-B24Deal'
        'Get-B24DealContact'
        'Set-B24DealContact'
        'Get-B24DealField'
        'Get-B24DealPipeline'
        'Get-B24DealProductRow'
        'Set-B24DealProductRow'
        'Get-B24Contact'
        'Set-B24Contact'
        'New-B24Contact'
        'Remove-B24Contact'
        'Get-B24ContactCompany'
        'Set-B24ContactCompany'
        'Get-B24ContactField'
        'Get-B24Company'
        'Set-B24Company'
        'New-B24Company'
        'Remove-B24Company'
        'Get-B24CompanyContact'
        'Set-B24CompanyContact'
        'Get-B24CompanyField'
        'Get-B24ItemType'
        'Get-B24Item'
        'Set-B24Item'
        'New-B24Item'
        'Remove-B24Item'
        'Get-B24ItemField'
        'Get-B24ItemPipeline'
        'Get-B24Status'
        'Invoke-B24Method'
        'Test-Bitrix24Connection'
        'Save-B24File'
        'Get-B24User'
        'Find-B24Duplicate'
        'Add-B24TimelineComment'
        'Get-B24TimelineComment'
        'Set-B24TimelineComment'
        'Remove-B24TimelineComment'
        'Get-B24Activity'
        'New-B24Todo'
        'Set-B24Activity'
        'Complete-B24Activity'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Bitrix24', 'CRM', 'Leads', 'Deals', 'Contacts', 'Companies', 'SmartProcess', 'Timeline', 'Activities', 'REST', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/bitrix24-powershell/Bitrix24.PowerShell'
            LicenseUri   = 'https://github.com/bitrix24-powershell/Bitrix24.PowerShell/blob/main/LICENSE'
            ReleaseNotes = 'stamped by the build from CHANGELOG.md'
        }
    }
}
