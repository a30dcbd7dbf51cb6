# What a user does with leads in the shell: CSV files, exports, and pipelines that patch objects in place.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestPortal.psm1') -Force
    Import-Module (Get-BuiltModulePath) -Force -ErrorAction Stop
    $portal = Start-TestPortal -Demo
    Connect-Bitrix24 -WebhookUrl $portal.WebhookUrl -RateLimit 1000 -Burst 1000
}
AfterAll { Stop-TestPortal $portal }

Describe 'A CSV file piped to Set-B24Lead' {
    It 'with a BOM, quoted commas, an empty cell and numbers as text' {
        $ids = @(Add-PortalLead $portal -Count 3 -Fields @{ TITLE = 'csv'; COMMENTS = 'keep'; OPPORTUNITY = '7' })
        $file = Join-Path $TestDrive 'fixes.csv'
        $text = "ID,TITLE,COMMENTS,OPPORTUNITY`r`n" +
                "$($ids[0]),""Smith, Jones & Co"",,""1500.50""`r`n" +
                "$($ids[1]),""Ünïcødé ☎ +1 555"",line1,`r`n" +
                "$($ids[2]),plain,""a """"quoted"""" word"",0042`r`n"
        [IO.File]::WriteAllText($file, $text, [Text.UTF8Encoding]::new($true))

        Import-Csv $file | Set-B24Lead

        $first = Get-PortalLead $portal $ids[0]
        $first.TITLE | Should -BeExactly 'Smith, Jones & Co'
        $first.COMMENTS | Should -BeExactly 'keep'            # an empty cell leaves the field as it is
        [decimal]$first.OPPORTUNITY | Should -Be 1500.5
        (Get-PortalLead $portal $ids[1]).TITLE | Should -BeExactly 'Ünïcødé ☎ +1 555'
        [decimal](Get-PortalLead $portal $ids[1]).OPPORTUNITY | Should -Be 7
        (Get-PortalLead $portal $ids[2]).COMMENTS | Should -BeExactly 'a "quoted" word'
        [decimal](Get-PortalLead $portal $ids[2]).OPPORTUNITY | Should -Be 42
    }

    It 'with parameter names as headers (StatusId, AssignedById)' {
        $id = @(Add-PortalLead $portal -Fields @{ TITLE = 'by parameter names' })[0]
        $file = Join-Path $TestDrive 'names.csv'
        "Id,StatusId,AssignedById`n$id,IN_PROCESS,7" | Set-Content $file
        Import-Csv $file | Set-B24Lead
        (Get-PortalLead $portal $id).STATUS_ID | Should -Be 'IN_PROCESS'
        (Get-PortalLead $portal $id).ASSIGNED_BY_ID | Should -Be '7'
    }

    It 'a row with a misspelt column is reported with its ID; the other rows go through' {
        $ids = @(Add-PortalLead $portal -Count 2 -Fields @{ TITLE = 'before' })
        $rows = @([pscustomobject]@{ ID = $ids[0]; TITLE = 'after' }, [pscustomobject]@{ ID = $ids[1]; TITEL = 'typo' })
        Clear-PortalLog $portal
        $rows | Set-B24Lead -ErrorVariable failed -ErrorAction SilentlyContinue
        (Get-PortalLead $portal $ids[0]).TITLE | Should -Be 'after'
        (Get-PortalLead $portal $ids[1]).TITLE | Should -Be 'before'
        $failed.Count | Should -Be 1
        $failed[0].TargetObject | Should -Be $ids[1]
        $failed[0].Exception.Message | Should -Match 'TITEL.*Did you mean TITLE'
        @(Get-PortalCall $portal crm.lead.update).Count | Should -Be 1
    }
}

Describe 'Exports read back' {
    It 'Export-Csv, an edit in the file, Import-Csv | Set-B24Lead' {
        $ids = @(Add-PortalLead $portal -Count 3 -Fields @{ TITLE = 'export me'; STATUS_ID = 'NEW' })
        $file = Join-Path $TestDrive 'export.csv'
        Get-B24Lead -Filter @{ '@ID' = $ids } | Select-Object ID, TITLE, STATUS_ID | Export-Csv $file
        (Get-Content $file) -replace ',"NEW"$', ',"PROCESSED"' | Set-Content $file
        Import-Csv $file | Set-B24Lead
        $ids | ForEach-Object { (Get-PortalLead $portal $_).STATUS_ID | Should -Be 'PROCESSED' }
    }

    It 'ConvertTo-Json keeps typed values and readable multi-fields' {
        $json = Get-B24Lead -Id 1603 | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $stored = Get-PortalLead $portal 1603
        $json.ID | Should -Be 1603
        $json.OPPORTUNITY | Should -Be ([decimal]$stored.OPPORTUNITY)
        $json.OPPORTUNITY | Should -BeGreaterThan 0
        $json.PHONE[0].VALUE | Should -Be $stored.PHONE[0].VALUE
        $json.PHONE[0].VALUE_TYPE | Should -Be 'WORK'
    }
}

Describe 'Pipelines that patch objects in place' {
    It 'Where-Object and ForEach-Object edits send only the changed field' {
        $ids = @(Add-PortalLead $portal -Count 4 -Fields @{ TITLE = 'wf'; STATUS_ID = 'NEW'; COMMENTS = 'c' })
        Clear-PortalLog $portal
        Get-B24Lead -Filter @{ '@ID' = $ids } | Where-Object ID -in $ids[0..1] |
            ForEach-Object { $_.TITLE = "$($_.TITLE) (checked)"; $_ } | Set-B24Lead
        $updates = @(Get-PortalCall $portal crm.lead.update)
        $updates.Count | Should -Be 2
        $updates | ForEach-Object { @($_.parameters.fields.PSObject.Properties.Name) | Should -Be @('TITLE') }
        (Get-PortalLead $portal $ids[0]).TITLE | Should -Be 'wf (checked)'
        (Get-PortalLead $portal $ids[2]).TITLE | Should -Be 'wf'
    }

    It 'Sort-Object and Select-Object -First choose which leads change' {
        $ids = @(Add-PortalLead $portal -Count 5 -Fields @{ TITLE = 'sorted' })
        $n = 0
        foreach ($id in $ids) { Set-B24Lead -Id $id -Opportunity (100 * ++$n) }
        Get-B24Lead -Filter @{ '@ID' = $ids } | Sort-Object OPPORTUNITY -Descending | Select-Object -First 2 |
            ForEach-Object { $_.STATUS_ID = 'IN_PROCESS'; $_ } | Set-B24Lead
        (Get-PortalLead $portal $ids[4]).STATUS_ID | Should -Be 'IN_PROCESS'
        (Get-PortalLead $portal $ids[3]).STATUS_ID | Should -Be 'IN_PROCESS'
        (Get-PortalLead $portal $ids[2]).STATUS_ID | Should -Not -Be 'IN_PROCESS'
    }

    It 'Select-Object ID, TITLE makes plain objects that still update by ID' {
        $id = @(Add-PortalLead $portal -Fields @{ TITLE = 'plain' })[0]
        Get-B24Lead -Id $id | Select-Object ID, @{ n = 'TITLE'; e = { $_.TITLE.ToUpper() } } | Set-B24Lead
        (Get-PortalLead $portal $id).TITLE | Should -Be 'PLAIN'
    }

    It 'an edited lead object sends nothing when nothing changed' {
        Clear-PortalLog $portal
        Get-B24Lead -Id 1601 | Set-B24Lead
        @(Get-PortalCall $portal crm.lead.update).Count | Should -Be 0
    }
}
