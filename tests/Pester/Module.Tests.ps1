# The module as a user imports it: exports, manifest, dependencies, help and views.
BeforeDiscovery {
    $cmdlets = (Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../out/Bitrix24/Bitrix24.psd1')).CmdletsToExport
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $root = Get-RepoRoot
    $manifestPath = Join-Path (Get-BuiltModulePath) 'Bitrix24.psd1'
}

Describe 'Exports and manifest' {
    It 'exports exactly the cmdlets its assembly defines, and no functions, aliases or variables' {
        $module = Get-Module Bitrix24
        $inAssembly = $module.ImplementingAssembly.GetTypes() |
            ForEach-Object { [System.Attribute]::GetCustomAttribute($_, [System.Management.Automation.CmdletAttribute]) } |
            Where-Object { $_ } | ForEach-Object { '{0}-{1}' -f $_.VerbName, $_.NounName }
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($inAssembly | Sort-Object)
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
    }

    It 'every verb is an approved verb' {
        (Get-Command -Module Bitrix24).Verb | Where-Object { $_ -notin (Get-Verb).Verb } | Should -BeNullOrEmpty
    }

    It 'passes Test-ModuleManifest, with the version of Directory.Build.props and release notes from CHANGELOG.md' {
        $manifest = Test-ModuleManifest $manifestPath
        $version = ([xml](Get-Content (Join-Path $root 'Directory.Build.props'))).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
        $manifest.Version | Should -Be ([version]$version)
        $data = Import-PowerShellDataFile $manifestPath
        $newest = ((Get-Content (Join-Path $root 'CHANGELOG.md') -Raw) -split '(?m)^(?=## )')[1].Trim()
        $data.PrivateData.PSData.ReleaseNotes | Should -BeExactly $newest
        $data.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $data.PowerShellVersion | Should -Be '5.1'
    }

    It 'names a license that ships with it' {
        $data = Import-PowerShellDataFile $manifestPath
        $data.PrivateData.PSData.LicenseUri | Should -Match '/LICENSE$'
        Join-Path (Get-BuiltModulePath) 'LICENSE' | Should -Exist
        Join-Path $root 'LICENSE' | Should -Exist
    }

    It 'uses the Newtonsoft.Json 13 the host has, and would refuse 12 with a message naming it' {
        [Newtonsoft.Json.JsonConvert].Assembly.GetName().Version | Should -BeGreaterOrEqual ([version]'13.0.0.0')
        $check = (Get-Module Bitrix24).ImplementingAssembly.GetType('Bitrix24.PowerShell.Base.NewtonsoftCheck')
        $problem = $check.GetMethod('Problem').Invoke($null, @([version]'12.0.0.0', 'PowerShell 7.1.4'))
        $problem | Should -Match 'Newtonsoft.Json 12.0.0.0'
        $problem | Should -Match 'PowerShell 7.2 or later'
        $check.GetMethod('Problem').Invoke($null, @([version]'13.0.0.0', 'PowerShell 7.6.9')) | Should -BeNullOrEmpty
    }

    It 'imports by path in a fresh pwsh without errors or warnings' {
        $out = Invoke-FreshPwsh "Import-Module '$(Get-BuiltModulePath)' -WarningVariable w; (Get-Module Bitrix24).Version.ToString(); `$w.Count"
        $out[-1] | Should -Be '0'
        $out[-2] | Should -Be (Import-PowerShellDataFile $manifestPath).ModuleVersion
    }
}

Describe 'Help' {
    It 'Get-Help <_> -Full has a synopsis, a description, examples and every parameter described' -ForEach $cmdlets {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$_\s"          # not the syntax fallback of a missing help file
        ($help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 1
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $documented = @($help.parameters.parameter | Where-Object { ($_.description | Out-String).Trim() }).name
        foreach ($parameter in (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $documented | Should -Contain $parameter -Because "$_ -$parameter needs a description"
        }
    }

    It 'about_Bitrix24 is found by Get-Help' {
        (Get-Help about_Bitrix24 | Out-String) | Should -Match 'Bitrix24'
    }
}

Describe 'Views' {
    BeforeAll {
        $portal = Start-TestPortal -Demo
        Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl
    }
    AfterAll { Stop-TestPortal $portal }

    It 'the default views fit 80 columns' {
        Get-B24Lead -Id 1601, 1602, 1603 | Get-ViewOverflow | Should -BeNullOrEmpty
        Get-B24Lead -Id 1601 | Get-ViewOverflow -List | Should -BeNullOrEmpty
        Get-B24LeadField | Select-Object -First 5 | Get-ViewOverflow | Should -BeNullOrEmpty
        Get-B24Status -EntityId STATUS | Get-ViewOverflow | Should -BeNullOrEmpty
        Get-Bitrix24Connection | Get-ViewOverflow | Should -BeNullOrEmpty
        (Get-B24Lead -Id 1601).PHONE | Get-ViewOverflow | Should -BeNullOrEmpty
        Test-Bitrix24Connection | Select-Object -First 3 | Get-ViewOverflow -Width 120 | Should -BeNullOrEmpty
        Get-B24User | Get-ViewOverflow | Should -BeNullOrEmpty
    }

    It 'the width check sees a view that does not fit' {
        [pscustomobject]@{ A = 'x' * 50; B = 'y' * 50 } | Get-ViewOverflow | Should -Not -BeNullOrEmpty
    }

    It 'a lead''s list view shows its phone readably' {
        Get-B24Lead -Id 1601 | Format-List | Out-String | Should -Match 'PHONE\s+:\s+\{?\+1 555 0101 \(WORK\)'
    }
}

Describe 'Errors as a script sees them' {
    BeforeAll {
        $portal = Start-TestPortal -Demo
        Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl
    }
    AfterAll { Stop-TestPortal $portal }

    It 'a missing lead: id, category, target and the portal''s words' {
        $Error.Clear()
        Set-B24Lead -Id 999999 -Title x -ErrorAction SilentlyContinue
        $Error[0].FullyQualifiedErrorId | Should -BeLike 'Bitrix24.NotFound,*'
        $Error[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $Error[0].TargetObject | Should -Be 999999
        $Error[0].ErrorDetails.Message | Should -Match 'not found'
    }

    It '-ErrorAction Stop ends in catch with the same record' {
        try { Set-B24Lead -Id 999999 -Title x -ErrorAction Stop; $reached = $true } catch { $caught = $_ }
        $reached | Should -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'Bitrix24.NotFound,*'
    }

    It 'a misspelt field is refused before anything is sent, naming the field, the lead and the closest name' {
        Clear-PortalLog $portal
        try { Set-B24Lead -Id 1601 -Fields @{ STATUS = 'NEW' } -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'Bitrix24.InvalidField,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.TargetObject | Should -Be 1601
        $caught.Exception.Message | Should -Match 'Did you mean STATUS_ID'
        @(Get-PortalCall $portal crm.lead.update).Count | Should -Be 0
    }

    It 'a failed lead in a pipeline is reported with its id and the others go through' {
        $ids = @(Add-PortalLead $portal -Count 2 -Fields @{ TITLE = 'before' })
        $ids[0], 999999, $ids[1] | ForEach-Object { @{ ID = $_; TITLE = 'after' } } | Set-B24Lead -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].TargetObject | Should -Be 999999
        $ids | ForEach-Object { (Get-PortalLead $portal $_).TITLE | Should -Be 'after' }
    }

    It 'without a session a command stops with Bitrix24.NotConnected' {
        Disconnect-Bitrix24
        try { Get-B24Lead -Id 1601 } catch { $caught = $_ } finally { Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl }
        $caught.FullyQualifiedErrorId | Should -BeLike 'Bitrix24.NotConnected,*'
        $caught.CategoryInfo.Category | Should -Be 'ConnectionError'
    }
}
