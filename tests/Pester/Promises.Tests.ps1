# The promises of issue 15, in the shell users run: -WhatIf that always holds, values exactly as given,
# every request visible, nothing fetched or sent after the pipeline stops, readable exports, 80-column views.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'WhatIfCases.ps1')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $portal = Start-TestPortal -Demo
    $writeMethods = 'crm.lead.update', 'crm.lead.add', 'crm.lead.delete', 'crm.item.update', 'crm.item.add', 'crm.item.delete', 'crm.lead.contact.items.set'
}
AfterAll { Stop-TestPortal $portal }

Describe 'A write never happens under -WhatIf' {
    BeforeAll {
        # Every case runs in one fresh, non-interactive pwsh (its What if lines stay out of this output).
        . (Join-Path $PSScriptRoot 'WhatIfCases.ps1')
        $caseFile = Join-Path ([IO.Path]::GetTempPath()) "b24-whatif-$PID.clixml"
        $whatIfCases | Export-Clixml $caseFile
        $script = @"
Import-Module '$(Join-Path $PSScriptRoot 'TestPortal.psm1')'
Import-Module '$(Get-BuiltModulePath)'
`$portal = [pscustomobject]@{ Control = '$($portal.Control)' }
foreach (`$case in Import-Clixml '$caseFile') {
    `$ids = @(Add-PortalLead `$portal -Count 5 -Fields @{ TITLE = 'matrix' })
    Connect-Bitrix24 -WebhookUrl '$($portal.WebhookUrl)' -Api `$case.Route
    Clear-PortalLog `$portal
    'BEGIN|{0}' -f `$case.Id
    try {
        foreach (`$record in & ([scriptblock]::Create((`$case.Script -f `$ids))) *>&1) {
            if (`$record -is [System.Management.Automation.ErrorRecord]) { 'ERROR|{0}|{1}' -f `$case.Id, `$record }
        }
    } catch { 'ERROR|{0}|{1}' -f `$case.Id, `$_ }
    'CASE|{0}|{1}' -f `$case.Id, @(Get-PortalCall `$portal '$($writeMethods -join "','")').Count
}
"@
        $lines = Invoke-FreshPwsh $script
        Remove-Item $caseFile
        # What if lines go to the host, so they stand in the output between a case's BEGIN and CASE lines.
        $writesByCase = @{}; $errorsByCase = @{}; $whatIfByCase = @{}
        $current = $null
        foreach ($line in $lines) {
            if ($line -match '^BEGIN\|(.+)$') { $current = $Matches[1]; $whatIfByCase[$current] = 0; $errorsByCase[$current] = @() }
            elseif ($line -match '^CASE\|(.+)\|(\d+)$') { $writesByCase[$Matches[1]] = [int]$Matches[2]; $current = $null }
            elseif ($current -and $line -like 'ERROR|*') { $errorsByCase[$current] += $line }
            elseif ($current -and $line -like 'What if:*') { $whatIfByCase[$current]++ }
        }
    }

    It '<Command> with <Mode> on the <Route> route' -ForEach $whatIfCases {
        $writesByCase.ContainsKey($Id) | Should -BeTrue -Because 'the case ran to its end'
        $errorsByCase[$Id] | Should -BeNullOrEmpty -Because 'a case that fails proves nothing about -WhatIf'
        if ($Writes) {
            $writesByCase[$Id] | Should -BeGreaterThan 0 -Because 'the command writes when not asked what if'
            $whatIfByCase[$Id] | Should -Be 0
        }
        else {
            $writesByCase[$Id] | Should -Be 0
            $whatIfByCase[$Id] | Should -BeGreaterThan 0 -Because 'the user is shown what would be done'
        }
    }
}

Describe 'ShouldProcess and -Force' {
    It '-Force -Confirm still asks (a non-interactive shell cannot answer, so nothing is deleted)' {
        $id = @(Add-PortalLead $portal -Fields @{ TITLE = 'keep me' })[0]
        $out = Invoke-FreshPwsh "Import-Module '$(Get-BuiltModulePath)'; Connect-Bitrix24 -WebhookUrl '$($portal.WebhookUrl)'; Remove-B24Lead -Id $id -Force -Confirm"
        ($out -join "`n") | Should -Match 'NonInteractive|not interactive|prompt'
        (Get-PortalLead $portal $id).TITLE | Should -Be 'keep me'
    }

    It 'Remove asks by default (ConfirmImpact High) and -Confirm:$false deletes' {
        $ids = @(Add-PortalLead $portal -Count 2)
        $out = Invoke-FreshPwsh "Import-Module '$(Get-BuiltModulePath)'; Connect-Bitrix24 -WebhookUrl '$($portal.WebhookUrl)'; Remove-B24Lead -Id $($ids[0]); Remove-B24Lead -Id $($ids[1]) -Confirm:`$false"
        Get-PortalLead $portal $ids[0] | Should -Not -BeNullOrEmpty
        Get-PortalLead $portal $ids[1] | Should -BeNullOrEmpty
    }

    It '$ConfirmPreference = Low makes Set-B24Lead ask' {
        $id = @(Add-PortalLead $portal -Fields @{ TITLE = 'unchanged' })[0]
        $out = Invoke-FreshPwsh "Import-Module '$(Get-BuiltModulePath)'; Connect-Bitrix24 -WebhookUrl '$($portal.WebhookUrl)'; `$ConfirmPreference = 'Low'; Set-B24Lead -Id $id -Title changed"
        (Get-PortalLead $portal $id).TITLE | Should -Be 'unchanged'
    }

    It 'past ten deletions it asks once more (a non-interactive shell cannot answer: nothing is deleted); -Force skips that question' {
        $ids = @(Add-PortalLead $portal -Count 24)
        $out = Invoke-FreshPwsh "Import-Module '$(Get-BuiltModulePath)'; Connect-Bitrix24 -WebhookUrl '$($portal.WebhookUrl)'; $($ids[0..11] -join ',') | Remove-B24Lead -Confirm:`$false"
        ($out -join "`n") | Should -Match 'NonInteractive|not interactive'
        @($ids[0..11] | Where-Object { Get-PortalLead $portal $_ }).Count | Should -Be 12
        Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl
        $ids[12..23] | Remove-B24Lead -Confirm:$false -Force
        @($ids[12..23] | Where-Object { Get-PortalLead $portal $_ }).Count | Should -Be 0
    }
}

Describe 'Values arrive exactly as given' {
    BeforeAll { Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -RateLimit 1000 -Burst 1000 }

    It 'an [ordered] -Order keeps its order' {
        # Eight keys: a hashtable's order (randomised per process) matches the given one by chance once in 40,320 runs.
        $order = [ordered]@{ STATUS_ID = 'ASC'; SOURCE_ID = 'ASC'; OPPORTUNITY = 'DESC'; TITLE = 'ASC'; NAME = 'ASC'; LAST_NAME = 'ASC'; DATE_CREATE = 'DESC'; ID = 'DESC' }
        Clear-PortalLog $portal
        $null = Get-B24Lead -Order $order -First 3
        $call = @(Get-PortalCall $portal crm.lead.list)[0]
        @($call.parameters.order.PSObject.Properties.Name) | Should -Be @($order.Keys)
    }

    It 'an [ordered] batch cmd runs in the given order, so each command can use the one before' {
        $cmd = [ordered]@{ a = 'crm.lead.get?id=1601' }
        foreach ($name in 'b', 'c', 'd', 'e', 'f', 'g', 'h') {
            $previous = @($cmd.Keys)[-1]
            $cmd[$name] = 'crm.lead.get?id=$result[' + $previous + '][ID]'
        }
        $answer = Invoke-B24Method batch @{ halt = 0; cmd = $cmd }
        @($answer.result.PSObject.Properties.Name) | Should -Be @($cmd.Keys)
        $answer.result.h.ID | Should -Be '1601'
    }

    It 'text that looks like a batch reference goes as a plain call and arrives unchanged; the rest of the run is batched' {
        $ids = @(Add-PortalLead $portal -Count 3)
        $plain = @(Add-PortalLead $portal -Count 3)
        $title = 'Deal $result[c0][ID] and $next[x] + 50% off'
        Clear-PortalLog $portal
        @($ids | ForEach-Object { @{ ID = $_; TITLE = $title; COMMENTS = "+7 900 $_" } }) + @($plain | ForEach-Object { @{ ID = $_; TITLE = 'plain' } }) | Set-B24Lead
        $updates = @(Get-PortalCall $portal crm.lead.update)
        foreach ($id in $ids) {
            (Get-PortalLead $portal $id).TITLE | Should -BeExactly $title
            (Get-PortalLead $portal $id).COMMENTS | Should -BeExactly "+7 900 $id"
            @($updates | Where-Object { "$($_.parameters.id)" -eq "$id" }).viaBatch | Should -Be @($false) -Because 'the batch would rewrite $result[...]'
        }
        foreach ($id in $plain) { @($updates | Where-Object { "$($_.parameters.id)" -eq "$id" }).viaBatch | Should -Be @($true) }
    }
}

Describe 'Every request shows in -Verbose, and nothing runs after the pipeline stops' {
    BeforeAll {
        $big = Start-TestPortal
        $null = Add-PortalLead $big -Count 6000 -Fields @{ TITLE = 'bulk'; STATUS_ID = 'NEW' }
        Connect-Bitrix24 -WebhookUrl $big.WebhookUrl -RateLimit 1000 -Burst 1000
    }
    AfterAll { Stop-TestPortal $big }

    It 'listing 6,000 leads shows each of its requests once' {
        Clear-PortalLog $big
        $verbose = Get-B24Lead -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $posts = @($verbose | Where-Object Message -like 'POST *')
        $posts.Count | Should -Be (Get-PortalStat $big).requests
        $posts.Count | Should -Be 4
    }

    It 'a bulk update shows each batch it sends' {
        $ids = 1..120
        Clear-PortalLog $big
        $verbose = $ids | ForEach-Object { @{ ID = $_; COMMENTS = 'seen' } } | Set-B24Lead -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($verbose | Where-Object Message -like 'POST *').Count | Should -Be (Get-PortalStat $big).requests
    }

    It 'Select-Object -First 3 sends one request and no more' {
        Clear-PortalLog $big
        $three = Get-B24Lead | Select-Object -First 3
        $three.Count | Should -Be 3
        Start-Sleep -Milliseconds 300
        (Get-PortalStat $big).requests | Should -Be 1
    }

    It '-ErrorAction Stop in a bulk run sends nothing more and reports what was done as a warning' {
        Clear-PortalLog $big
        $warnings = $null
        try { 1, 2, 999999, 3 | Remove-B24Lead -Confirm:$false -ErrorAction Stop -WarningVariable warnings -WarningAction SilentlyContinue } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'Bitrix24.*'
        ($warnings -join "`n") | Should -Match 'Removing Bitrix24 leads stopped: \d+ lead\(s\) deleted'
    }
}

Describe 'Multi-fields in lists and exports' {
    BeforeAll { Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl }

    It 'a listed lead carries PHONE as a lead read by id does' {
        $listed = Get-B24Lead -Filter @{ ID = 1601 }
        $byId = Get-B24Lead -Id 1601
        $listed.PHONE.VALUE | Should -Be $byId.PHONE.VALUE
        $listed.PHONE.Count | Should -BeGreaterThan 0
    }

    It 'Export-Csv writes phones readably and $lead.PHONE stays structured' {
        $file = Join-Path $TestDrive 'phones.csv'
        Get-B24Lead -Filter @{ '@ID' = 1601, 1602 } | Select-Object ID, TITLE, PHONE | Export-Csv $file
        $rows = Import-Csv $file
        $rows[0].PHONE | Should -Match '^\+1 555 \d+ \(WORK\)$'
        $lead = Get-B24Lead -Id 1601
        $lead.PHONE[0].VALUE_TYPE | Should -Be 'WORK'
        ($lead | ConvertTo-Json -Depth 4 | ConvertFrom-Json).PHONE[0].VALUE | Should -Be $lead.PHONE[0].VALUE
    }
}

Describe 'Views fit an 80-column console' {
    BeforeAll { Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl }

    It 'the lead table has no line over 80 columns and its headers on one line' {
        Get-B24Lead -Id 1601, 1602 | Get-ViewOverflow | Should -BeNullOrEmpty
        $lines = (Get-B24Lead -Id 1601, 1602 | Format-Table | Out-String -Width 80) -split "`r?`n" | Where-Object { $_ }
        $lines[0] | Should -Match 'ID\s+TITLE\s+STATUS_ID\s+ASSIGNED_BY_ID\s+OPPORTUNITY\s+CURRENCY_ID'
    }
}

Describe 'Connections' {
    It 'a replaced session is closed, a connection the user holds stays open until Disconnect' {
        $held = Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -PassThru
        $verbose = Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -Verbose 4>&1
        ($verbose | Where-Object Message -like 'Closed the previous session*') | Should -BeNullOrEmpty
        (Get-B24Lead -Id 1601 -Connection $held).ID | Should -Be 1601
        $verbose = Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -Verbose 4>&1
        ($verbose | Where-Object Message -like 'Closed the previous session*') | Should -Not -BeNullOrEmpty
        Disconnect-Bitrix24 -Connection $held
        $held.IsClosed | Should -BeTrue
        try { Get-B24Lead -Id 1601 -Connection $held } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'Bitrix24.ConnectionClosed*'
        $failure.Exception.Message | Should -Match 'Run Connect-Bitrix24 again'
    }

    It 'a script block handler of TokensRefreshed runs (on the pipeline thread)' {
        $tokens = Invoke-PortalControl $portal oauth-issue @{ clientId = 'app.1'; clientSecret = 'app-secret' }
        $base = $portal.WebhookUrl -replace '/rest/.*$', '/'
        $out = Invoke-FreshPwsh @"
Import-Module '$(Get-BuiltModulePath)'
`$c = Connect-Bitrix24 -Portal '$base' -AccessToken '$($tokens.accessToken)' -RefreshToken '$($tokens.refreshToken)' -ClientId app.1 -ClientSecret app-secret -OAuthServer '$($base)oauth/token/' -PassThru
`$c.add_TokensRefreshed({ param(`$sender, `$e) `$global:renewed = "renewed on runspace `$([runspace]::DefaultRunspace.Id)" })
Invoke-RestMethod -Method Post -Uri '$($portal.Control)oauth-expire' | Out-Null
(Get-B24Lead -Id 1601).ID
`$global:renewed
"@
        $out | Should -Contain '1601'
        ($out -join "`n") | Should -Match 'renewed on runspace \d+'
    }
}
